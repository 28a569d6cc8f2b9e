// Package assets holds coordtui's embedded text: lesson and demo scripts and
// console themes. It is data only; the engines that run it live in lessons/
// and demos/.
package assets
